// What a connection check reports, for the server and the browser alike.
export interface ServiceCheck {
  service: string;
  operation: string;
  ok: boolean;
  code?: string;
  message?: string;
  ms: number;
}

export interface ConnectionCheck {
  account: string;
  region: string;
  roleArn?: string;
  identity?: { account: string; arn: string; userId: string };
  identityError?: { code: string; message: string };
  services: ServiceCheck[];
}
