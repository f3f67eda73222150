import { expect, it } from 'vitest';
import { onEachDialect } from '../testing/dialects.ts';
import { Accounts } from './accounts.ts';

onEachDialect('accounts', (repo) => {
  it('signs up once per email even when two sign-ups race, signs in, and changes roles', async () => {
    const accounts = new Accounts(repo(), { signUpsPerAddressPerHour: 100 });
    const input = { email: 'race@accounts.test', password: 'long-password-1', displayName: 'Racer' };
    const results = await Promise.allSettled([accounts.signUp(input), accounts.signUp(input)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict', params: { reason: 'email_taken' } } });
    const user = await accounts.signIn({ email: input.email, password: input.password }, '192.0.2.1');
    expect(user).toMatchObject({ email: input.email, role: 'buyer' });
    await expect(accounts.signIn({ email: input.email, password: 'wrong-password' }, '192.0.2.1')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(await accounts.setRole(user.id, 'host')).toMatchObject({ id: user.id, role: 'host' });
    expect(await accounts.findByEmail(input.email)).toMatchObject({ role: 'host' });
    await expect(accounts.setRole('nobody', 'host')).rejects.toMatchObject({ code: 'not_found' });
    expect(await accounts.count()).toBe(1);
  });
});
