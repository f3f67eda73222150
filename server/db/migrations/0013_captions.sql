CREATE TABLE `caption_segments` (
	`id` text PRIMARY KEY NOT NULL,
	`show_id` text NOT NULL,
	`language` text NOT NULL,
	`text` text NOT NULL,
	`start_at` integer NOT NULL,
	`end_at` integer NOT NULL,
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `caption_segments_show_idx` ON `caption_segments` (`show_id`,`start_at`);--> statement-breakpoint
CREATE TABLE `caption_settings` (
	`show_id` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`language` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE cascade
);
