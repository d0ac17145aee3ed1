import { Body, Controller, Get, Header, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CertificateRulesService,
  CertificatesService,
  CertificationException,
  CertificationExceptionCode,
  CredentialKeys,
  STATUS_LIST_TTL_MS,
  StatusListsService,
} from '@hocso/certification';
import { type Actor, Role, type UserActor } from '@hocso/common';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentActor, OptionalAuth, Public } from '../http/auth/auth.decorators';
import { localeFrom } from '../http/locale';
import {
  CertificateRuleDto,
  HandleParam,
  mapCertificate,
  mapRule,
  PublicProfileDto,
  RevokeCertificateDto,
  StatusListParam,
  VerifyCredentialDto,
} from './dto/certificates.dto';

const CERT_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\.pdf)?$/i;

/** Open Badges 3.0 certificates: the holder's list, the credential, its PDF, revocation, verification. */
@ApiTags('certificates')
@Controller('v1')
export class CertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly rules: CertificateRulesService,
    private readonly statusLists: StatusListsService,
    private readonly keys: CredentialKeys,
  ) {}

  @Get('me/certificates')
  @Authenticated()
  async mine(@CurrentActor() actor: UserActor) {
    return (await this.certificates.listMine(actor)).map((v) => mapCertificate(v, this.keys.publicUrl, false));
  }

  @Get('certificates/:file')
  @OptionalAuth()
  @ApiOperation({
    summary: '{id}: the credential (JSON + VC-JWT); {id}.pdf: the printable certificate (A4, Vietnamese)',
    description: 'Readable by the holder, admins over the holder, and anyone while the holder shares a public profile.',
  })
  async get(
    @CurrentActor() actor: Actor | undefined,
    @Param('file') file: string,
    @Query('lang') lang: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const m = CERT_FILE.exec(file);
    if (!m) throw new CertificationException(CertificationExceptionCode.CERTIFICATE_NOT_FOUND);
    if (m[2]) {
      const locale = lang === 'en' || lang === 'vi' ? lang : localeFrom(reply.request.headers['accept-language']);
      const { bytes, certificate } = await this.certificates.pdf(actor ?? null, m[1], locale);
      reply.header('Content-Type', 'application/pdf');
      reply.header('Content-Disposition', `inline; filename="chung-nhan-${certificate.id}.pdf"`);
      reply.header('Cache-Control', 'private, max-age=300');
      return bytes;
    }
    return mapCertificate(await this.certificates.get(actor ?? null, m[1]), this.keys.publicUrl);
  }

  @Post('certificates/:file/revoke')
  @HttpCode(200)
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  @ApiOperation({
    summary: 'Revoke (admins over the holder): the status-list bit flips; verification shows it at once',
  })
  async revoke(@CurrentActor() actor: Actor, @Param('file') id: string, @Body() dto: RevokeCertificateDto) {
    if (!CERT_FILE.exec(id) || id.endsWith('.pdf')) {
      throw new CertificationException(CertificationExceptionCode.CERTIFICATE_NOT_FOUND);
    }
    return mapCertificate(await this.certificates.revoke(actor, id, dto.reason), this.keys.publicUrl, false);
  }

  @Post('credentials/verify')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Check any presented credential: format, signature, issuer, claims, validity, revocation' })
  verify(@Body() dto: VerifyCredentialDto) {
    if (dto?.credential === undefined || dto.credential === null || dto.credential === '') {
      throw new CertificationException(CertificationExceptionCode.CREDENTIAL_MISSING, { field: 'credential' });
    }
    return this.certificates.verifyPresented(dto.credential);
  }

  @Get('status-lists/:id')
  @Public()
  @ApiOperation({ summary: 'The signed BitstringStatusListCredential (VC-JWT) for revocation' })
  async statusList(@Param() p: StatusListParam, @Res({ passthrough: true }) reply: FastifyReply) {
    const { jwt } = await this.statusLists.publish(p.id);
    reply.header('Content-Type', 'application/vc+jwt');
    reply.header('Cache-Control', `public, max-age=${STATUS_LIST_TTL_MS / 1000}`);
    return jwt;
  }

  @Get('credentials/keys/:kid')
  @Public()
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({ summary: 'One issuer public key (the JWS kid of every credential points here)' })
  async key(@Param('kid') kid: string) {
    const jwk = await this.keys.jwk(kid);
    if (!jwk) throw new CertificationException(CertificationExceptionCode.CERTIFICATE_NOT_FOUND);
    return jwk;
  }

  @Get('issuer')
  @Public()
  @ApiOperation({ summary: 'The issuer profile credentials name (issuer.id)' })
  issuer() {
    return {
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      ...this.keys.issuer,
    };
  }

  @Get('me/public-profile')
  @Authenticated()
  profile(@CurrentActor() actor: UserActor) {
    return this.certificates.profile(actor);
  }

  @Put('me/public-profile')
  @Authenticated()
  @ApiOperation({ summary: 'Share (or stop sharing) my valid certificates and competencies on a public page' })
  setProfile(@CurrentActor() actor: UserActor, @Body() dto: PublicProfileDto) {
    return this.certificates.setProfile(actor, dto.enabled);
  }

  @Get('public-profiles/:handle')
  @Public()
  async publicProfile(@Param() p: HandleParam) {
    const profile = await this.certificates.publicProfile(p.handle);
    return {
      ...profile,
      certificates: profile.certificates.map((v) => mapCertificate(v, this.keys.publicUrl, false)),
    };
  }

  @Get('certificate-rules')
  @Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
  async listRules() {
    return (await this.rules.list()).map(mapRule);
  }

  @Put('certificate-rules')
  @Authenticated(Role.ProvinceAdmin)
  @ApiOperation({ summary: 'Set when certificates are issued: per course (or "*") and per cohort kind' })
  async putRule(@CurrentActor() actor: Actor, @Body() dto: CertificateRuleDto) {
    return mapRule(await this.rules.put(actor, dto));
  }
}

/** The issuer's public keys (every kid that ever signed, so old credentials keep verifying). */
@ApiTags('certificates')
@Controller('.well-known')
export class WellKnownController {
  constructor(private readonly keys: CredentialKeys) {}

  @Get('jwks.json')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  jwks() {
    return this.keys.jwks();
  }
}
