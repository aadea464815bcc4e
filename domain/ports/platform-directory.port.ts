/**
 * Who a person is on a chat platform, for mentions and direct messages: the platform user id
 * of an arbot user (a linked identity), and the cached result of a lookup by email
 * (including "not found", so a platform is not asked again every time).
 */
export interface PlatformDirectory {
  /** email → platform user id (null: looked up since `freshSince` and not found); missing: unknown. */
  known(platform: string, emails: string[], freshSince: Date): Promise<Map<string, string | null>>;
  /** Remembers a lookup's answer (null: the platform does not know the email). */
  remember(platform: string, email: string, platformUserId: string | null, at: Date): Promise<void>;
  /** The platform id of an arbot user, when they have used that platform. */
  idOfUser(platform: string, userId: number): Promise<string | null>;
}
