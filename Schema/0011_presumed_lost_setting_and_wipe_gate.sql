-- How many days overdue a loan may be before the clinic must decide whether its device is
-- presumed lost (the presumed-lost report). A clinic setting, kept with its profile.
ALTER TABLE clinic_profile ADD COLUMN presumed_lost_after_days INTEGER NOT NULL DEFAULT 30
    CHECK (presumed_lost_after_days BETWEEN 1 AND 366);

-- A device whose model stores patient data is available again only through a wipe: back from a
-- patient, found again or back from a vendor, it goes to awaiting_wipe first (whoever writes).
CREATE TRIGGER devices_with_data_available_only_after_a_wipe BEFORE UPDATE OF status ON devices
WHEN NEW.status = 'available' AND OLD.status IN ('on_loan', 'lost', 'in_repair')
BEGIN
    SELECT RAISE(ABORT, 'device lifecycle: a device that stores patient data waits for a wipe first')
    WHERE (SELECT json_extract(m.security_profile, '$.storesPatientData') FROM device_models m WHERE m.id = NEW.model_id) = 1;
END;
