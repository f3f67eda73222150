import { z } from 'zod';

export const USER_ROLES = ['buyer', 'host', 'moderator', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const emailSchema = z.string().trim().toLowerCase().email('Enter a valid email address.').max(254);
export const passwordSchema = z
  .string()
  .min(10, 'Passwords need at least 10 characters.')
  .max(200, 'Passwords may have at most 200 characters.');

export const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: z.string().trim().min(1, 'Choose a display name.').max(40)
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(200)
});
export type SignInInput = z.infer<typeof signInSchema>;

export const setRoleSchema = z.object({ email: emailSchema, role: z.enum(USER_ROLES) });

export const publicUserSchema = z.strictObject({ id: z.string(), email: z.string(), displayName: z.string(), role: z.enum(USER_ROLES) }).meta({ id: 'PublicUser' });
export type PublicUser = z.infer<typeof publicUserSchema>;

/** Roles that may create and run shows. */
export function canHost(role: UserRole): boolean {
  return role === 'host' || role === 'admin';
}
