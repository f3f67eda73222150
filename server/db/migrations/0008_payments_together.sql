ALTER TABLE `payment_attempts` ADD `charge_id` text;--> statement-breakpoint
ALTER TABLE `payment_attempts` ADD `shipping` integer;--> statement-breakpoint
CREATE INDEX `payment_attempts_charge_idx` ON `payment_attempts` (`charge_id`);