"""Operations: the registry of periodic jobs run by ``hopeful worker``, the record of every
run, and the network staff's page that shows them (``/staff/jobs/``)."""
