import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal, Role } from '#contracts';
import { type AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY } from './auth.decorators.js';

/** Resolves a bearer token to a principal (implemented by fleet's token store). */
export interface ApiTokenResolver {
  resolve(token: string): Promise<Principal | undefined>;
}
export const API_TOKEN_RESOLVER = Symbol('ApiTokenResolver');

/**
 * Global guard: every HTTP route needs `Authorization: Bearer <token>` unless marked @Public(),
 * and the caller's role must be listed by @Roles() (admin is always allowed; no @Roles() = admin only).
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_TOKEN_RESOLVER) private readonly resolver: ApiTokenResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest & { headers: Record<string, unknown> }>();
    const header = req.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new UnauthorizedException({ message: 'missing bearer token (Authorization: Bearer <token>)' });
    }
    const principal = await this.resolver.resolve(match[1]);
    if (!principal) throw new UnauthorizedException({ message: 'invalid or revoked token' });
    req.principal = principal;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? ['admin'];
    if (principal.role !== 'admin' && !allowed.includes(principal.role)) {
      throw new ForbiddenException({ message: `role ${principal.role} may not call this route` });
    }
    return true;
  }
}
