// After a passkey is added, show the page again: the new passkey is listed, with a message.
// (The ceremony itself is django-otp-webauthn's otp_webauthn_register.js.)
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.reload();
});
