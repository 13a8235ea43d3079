import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorSchema, type TokenCreate, TokenCreatedSchema, TokenCreateSchema, TokenInfoSchema } from '#contracts';
import { ApiZodBody, ApiZodResponse, ZodBody } from '#platform';
import { z } from 'zod';
import { UuidParam } from '../shared/id-params.js';
import { ApiTokenService, type TokenCreated, type TokenInfo } from './api-token.service.js';

/** API tokens: admin only (no @Roles). */
@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/tokens')
export class TokensController {
  constructor(private readonly service: ApiTokenService) {}

  @Post()
  @ApiZodBody(TokenCreateSchema)
  @ApiZodResponse(201, TokenCreatedSchema, 'Issued: the token is shown this once')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid body, or technicianId/customerId names no record')
  create(@ZodBody(TokenCreateSchema) dto: TokenCreate): Promise<TokenCreated> {
    return this.service.create(dto);
  }

  @Get()
  @ApiZodResponse(200, z.array(TokenInfoSchema), 'Every token, revoked ones included; never a secret')
  list(): Promise<TokenInfo[]> {
    return this.service.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiZodResponse(409, ApiErrorSchema, 'The last admin token cannot be revoked')
  revoke(@UuidParam('token') id: string): Promise<void> {
    return this.service.revoke(id);
  }
}
