import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI document at /api/openapi.json and a browsable page at /api/docs. */
export function mountOpenApi(app: INestApplication, version: string): void {
  const config = new DocumentBuilder()
    .setTitle('CoatWatch gateway API')
    .setDescription(
      'Fleet registry, telemetry queries and operations of the coating / corrosion monitoring platform. ' +
        'Authenticate with `Authorization: Bearer <token>`.',
    )
    .setVersion(version)
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/openapi.json',
    yamlDocumentUrl: 'api/openapi.yaml',
  });
}
