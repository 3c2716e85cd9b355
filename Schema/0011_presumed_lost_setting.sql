-- How many days overdue a loan may be before the clinic must decide whether its device is
-- presumed lost (the presumed-lost report). A clinic setting, kept with its profile.
ALTER TABLE clinic_profile ADD COLUMN presumed_lost_after_days INTEGER NOT NULL DEFAULT 30
    CHECK (presumed_lost_after_days BETWEEN 1 AND 366);
