/** A channel that receives digests, on one platform. */
export interface DigestTarget {
  platform: string;
  channelId: string;
}
