CREATE TABLE `seller_terms` (
	`seller_id` text NOT NULL,
	`currency` text NOT NULL,
	`shipping_per_order` integer NOT NULL,
	`shipping_per_extra_item` integer NOT NULL,
	`tax_rate_bp` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`seller_id`, `currency`),
	FOREIGN KEY (`seller_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `shipping` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `tax_rate_bp` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `tax` integer DEFAULT 0 NOT NULL;