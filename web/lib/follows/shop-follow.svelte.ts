import { api } from '$lib/api';
import type { RealtimeClient } from '$lib/realtime/realtime-client';
import type { FollowDto } from '$shared/follows';

/**
 * A shop's follower count and whether the signed-in buyer follows it. A tap shows its result at
 * once and is put right by the server's reply (or undone if refused); the room's pushes keep the
 * count current while others follow, and every (re)join rereads what a dropped connection missed.
 */
export class ShopFollow {
  #followers = $state<number | null>(null);
  #following = $state(false);
  #busy = $state(false);
  readonly #hostId: string;
  readonly #unsubscribe: (() => void)[];

  constructor(hostId: string, client: RealtimeClient) {
    this.#hostId = hostId;
    this.#unsubscribe = [
      client.on('followers', ({ hostId: id, count }) => {
        if (id === hostId) this.#followers = count;
      }),
      client.onJoin((_, ok) => {
        if (ok && !this.#busy) void this.load().catch(() => {});
      })
    ];
  }

  /** Null until the first read. */
  get followers(): number | null {
    return this.#followers;
  }

  get following(): boolean {
    return this.#following;
  }

  get busy(): boolean {
    return this.#busy;
  }

  async load(): Promise<void> {
    this.#apply(await api('GET /hosts/:id/follow', { params: { id: this.#hostId } }));
  }

  /** Follows, or unfollows when already following; throws the server's refusal after undoing the tap. */
  async toggle(): Promise<void> {
    if (this.#busy) return;
    const was = { hostId: this.#hostId, followers: this.#followers ?? 0, following: this.#following };
    const following = !was.following;
    this.#busy = true;
    this.#apply({ ...was, following, followers: Math.max(0, was.followers + (following ? 1 : -1)) });
    try {
      this.#apply(await api(following ? 'PUT /hosts/:id/follow' : 'DELETE /hosts/:id/follow', { params: { id: this.#hostId } }));
    } catch (err) {
      this.#apply(was);
      throw err;
    } finally {
      this.#busy = false;
    }
  }

  close(): void {
    for (const u of this.#unsubscribe) u();
  }

  #apply(dto: FollowDto): void {
    this.#followers = dto.followers;
    this.#following = dto.following;
  }
}
