CREATE TABLE `payment_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`status` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`discount` integer NOT NULL,
	`coupon_id` text,
	`shipping_address` text NOT NULL,
	`provider_ref` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `payment_attempts_order_idx` ON `payment_attempts` (`order_id`);--> statement-breakpoint
CREATE INDEX `payment_attempts_status_idx` ON `payment_attempts` (`status`);--> statement-breakpoint
ALTER TABLE `coupons` ADD `currency` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `seller_id` text REFERENCES users(id);--> statement-breakpoint
CREATE INDEX `orders_seller_idx` ON `orders` (`seller_id`,`created_at`);--> statement-breakpoint
UPDATE `orders` SET `seller_id` = coalesce(
	(SELECT `seller_id` FROM `lots` WHERE `lots`.`id` = `orders`.`lot_id`),
	(SELECT `products`.`owner_id` FROM `order_items` JOIN `products` ON `products`.`id` = `order_items`.`product_id` WHERE `order_items`.`order_id` = `orders`.`id` LIMIT 1),
	(SELECT `host_id` FROM `shows` WHERE `shows`.`id` = `orders`.`show_id`)
);
