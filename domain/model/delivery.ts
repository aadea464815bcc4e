import { TeamFunction } from "./team";

/** A channel that receives digests, on one platform, and whose owners it names. */
export interface DigestTarget {
  platform: string;
  channelId: string;
  scope: TeamFunction | "all";
}
