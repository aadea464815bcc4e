/** Slack refused the token or could not be reached at start-up. */
export class SlackStartupError extends Error {
  constructor(
    message: string,
    readonly configuration: boolean,
  ) {
    super(message);
  }
}
