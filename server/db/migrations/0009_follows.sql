CREATE TABLE `follows` (
	`follower_id` text NOT NULL,
	`host_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`follower_id`, `host_id`),
	FOREIGN KEY (`follower_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`host_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `follows_host_idx` ON `follows` (`host_id`);