export const FUNCTIONS = ["finance", "sales", "cs"] as const;
export type TeamFunction = (typeof FUNCTIONS)[number];

export const ROLES = ["viewer", "finance", "sales", "cs", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isTeamFunction(value: string): value is TeamFunction {
  return (FUNCTIONS as readonly string[]).includes(value);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export const FUNCTION_LABELS: Record<TeamFunction, string> = { finance: "finance", sales: "sales", cs: "customer success" };
