"""Other systems' formats for HOPEful's instruments and answers, without Django: FHIR R4
(Questionnaire, QuestionnaireResponse), XLSForm (ODK, KoboToolbox) and REDCap (data dictionary,
records). The web apps wire them to campaigns and submissions."""
