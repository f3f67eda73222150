CREATE TABLE `channel_blocks` (
	`host_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`host_id`, `user_id`),
	FOREIGN KEY (`host_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `chat_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`show_id` text NOT NULL,
	`user_id` text NOT NULL,
	`text` text NOT NULL,
	`reply_to` integer,
	`at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `chat_show_idx` ON `chat_messages` (`show_id`,`id`);--> statement-breakpoint
CREATE TABLE `chat_settings` (
	`show_id` text PRIMARY KEY NOT NULL,
	`slow_mode_seconds` integer DEFAULT 0 NOT NULL,
	`pinned_message_id` integer,
	`blocklist` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `moderation_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`show_id` text,
	`actor_id` text,
	`action` text NOT NULL,
	`target_user_id` text,
	`message_id` integer,
	`reason` text DEFAULT '' NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `moderation_show_idx` ON `moderation_log` (`show_id`,`id`);--> statement-breakpoint
CREATE TABLE `show_bans` (
	`show_id` text NOT NULL,
	`user_id` text NOT NULL,
	`until` integer,
	PRIMARY KEY(`show_id`, `user_id`),
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `show_stats` (
	`show_id` text NOT NULL,
	`minute` integer NOT NULL,
	`viewers` integer DEFAULT 0 NOT NULL,
	`hearts` integer DEFAULT 0 NOT NULL,
	`messages` integer DEFAULT 0 NOT NULL,
	`bids` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`revenue` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`show_id`, `minute`),
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE cascade
);
