import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { LtiPlatformEntity } from '@hocso/lti';
import { Trim } from '../../common/trim.decorator';

export class RegisterLtiPlatformDto {
  @ApiProperty({ description: 'The platform issuer, exactly as in `iss`', example: 'https://lms.tnu.edu.vn' })
  @Trim()
  @IsString()
  @MinLength(8)
  @MaxLength(2048)
  issuer: string;

  @ApiProperty({ description: 'The client_id the platform gave Hocso', example: 'hocso-tool-01' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  clientId: string;

  @ApiProperty({ type: [String], description: 'Deployment ids allowed to launch (≤ 255 ASCII characters each)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(/^[\x21-\x7e]{1,255}$/, { each: true })
  deploymentIds: string[];

  @ApiProperty({ description: 'OIDC authorization endpoint', example: 'https://lms.tnu.edu.vn/mod/lti/auth.php' })
  @Trim()
  @IsString()
  @MaxLength(2048)
  authLoginUrl: string;

  @ApiProperty({ description: 'OAuth 2.0 token endpoint (AGS)', example: 'https://lms.tnu.edu.vn/mod/lti/token.php' })
  @Trim()
  @IsString()
  @MaxLength(2048)
  authTokenUrl: string;

  @ApiProperty({
    description: "The platform's public keys (JWKS)",
    example: 'https://lms.tnu.edu.vn/mod/lti/certs.php',
  })
  @Trim()
  @IsString()
  @MaxLength(2048)
  jwksUrl: string;

  @ApiPropertyOptional({ description: 'Org unit (kind integrator) that owns the platform' })
  @IsOptional()
  @IsUUID()
  integratorId?: string;
}

export class LtiPlatformDto {
  @ApiProperty() id: string;
  @ApiProperty() issuer: string;
  @ApiProperty() clientId: string;
  @ApiProperty({ type: [String] }) deploymentIds: string[];
  @ApiProperty() authLoginUrl: string;
  @ApiProperty() authTokenUrl: string;
  @ApiProperty() jwksUrl: string;
  @ApiPropertyOptional({ nullable: true }) integratorId: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'What to enter in the platform: the tool endpoints' })
  tool: { loginUrl: string; launchUrl: string; deepLinkingUrl: string; jwksUrl: string };
}

export function mapPlatform(p: LtiPlatformEntity, publicUrl: string): LtiPlatformDto {
  return {
    id: p.id,
    issuer: p.issuer,
    clientId: p.clientId,
    deploymentIds: p.deploymentIds,
    authLoginUrl: p.authLoginUrl,
    authTokenUrl: p.authTokenUrl,
    jwksUrl: p.jwksUrl,
    integratorId: p.integratorId,
    createdAt: new Date(p.createdAt).toISOString(),
    tool: {
      loginUrl: `${publicUrl}/lti/login`,
      launchUrl: `${publicUrl}/lti/launch`,
      deepLinkingUrl: `${publicUrl}/lti/launch`,
      jwksUrl: `${publicUrl}/lti/jwks`,
    },
  };
}

/** OpenAPI only: login initiation parameters (query or form; platforms may add others). */
export class LtiLoginDto {
  @ApiProperty() iss: string;
  @ApiProperty() login_hint: string;
  @ApiProperty() target_link_uri: string;
  @ApiPropertyOptional() lti_message_hint?: string;
  @ApiPropertyOptional() client_id?: string;
  @ApiPropertyOptional() lti_deployment_id?: string;
}

/** OpenAPI only: the platform's form_post to the redirect URI. */
export class LtiLaunchFormDto {
  @ApiProperty({ description: 'The platform-signed OIDC id_token (JWS, RS256)' }) id_token: string;
  @ApiProperty({ description: 'The state given at login initiation' }) state: string;
}

/** OpenAPI only: the deep-linking picker's form. */
export class LtiDeepLinkingFormDto {
  @ApiProperty({ description: 'The single-use token of the deep-linking launch' }) token: string;
  @ApiPropertyOptional({
    type: [String],
    description: '`course:<slug>` or `lesson:<lessonId>`, repeated for several items',
  })
  item?: string[];
  @ApiPropertyOptional({ description: '"1": each item gets a line item (scoreMaximum 100)' }) gradable?: string;
}
