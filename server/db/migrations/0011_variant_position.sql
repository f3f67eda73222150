ALTER TABLE `variants` ADD `position` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Variants made before this kept the order they were added in.
UPDATE `variants` SET `position` = rowid;