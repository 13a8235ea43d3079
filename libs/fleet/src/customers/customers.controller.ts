import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorSchema,
  type Customer,
  type CustomerCreate,
  CustomerCreateSchema,
  type CustomerListQuery,
  CustomerListQuerySchema,
  CustomerSchema,
  CustomerUpdateSchema,
  type Principal,
} from '#contracts';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, CurrentPrincipal, Roles, ZodBody, ZodQuery } from '#platform';
import { z } from 'zod';
import { UuidParam } from '../shared/id-params.js';
import { CustomerService, type CustomerUpdate } from './customer.service.js';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/customers')
export class CustomersController {
  constructor(private readonly service: CustomerService) {}

  @Post()
  @Roles('planner')
  @ApiZodBody(CustomerCreateSchema)
  @ApiZodResponse(201, CustomerSchema, 'Created')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid body')
  create(@ZodBody(CustomerCreateSchema) dto: CustomerCreate): Promise<Customer> {
    return this.service.create(dto);
  }

  @Get()
  @Roles('planner', 'technician', 'customer')
  @ApiZodQuery(CustomerListQuerySchema)
  @ApiZodResponse(200, z.array(CustomerSchema), 'Customers the caller may see (a customer: only itself)')
  list(
    @CurrentPrincipal() principal: Principal,
    @ZodQuery(CustomerListQuerySchema) query: CustomerListQuery,
  ): Promise<Customer[]> {
    return this.service.list(principal, query);
  }

  @Get(':id')
  @Roles('planner', 'technician', 'customer')
  @ApiZodResponse(200, CustomerSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown, or not the caller’s')
  get(@CurrentPrincipal() principal: Principal, @UuidParam('customer') id: string): Promise<Customer> {
    return this.service.get(principal, id);
  }

  @Patch(':id')
  @Roles('planner')
  @ApiZodBody(CustomerUpdateSchema)
  @ApiZodResponse(200, CustomerSchema)
  update(@UuidParam('customer') id: string, @ZodBody(CustomerUpdateSchema) patch: CustomerUpdate): Promise<Customer> {
    return this.service.update(id, patch);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('planner')
  @ApiZodResponse(409, ApiErrorSchema, 'The customer still owns assets, or service records still refer to it')
  delete(@UuidParam('customer') id: string): Promise<void> {
    return this.service.delete(id);
  }
}
