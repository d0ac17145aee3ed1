import { Body, Controller, Get, Header, HttpCode, Inject, type OnModuleInit, Post, Query, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBody,
  ApiConsumes,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { DomainException } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { LtiDeepLinkingService, LtiKeys, LtiLaunchService } from '@hocso/lti';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Public } from '../http/auth/auth.decorators';
import { localeFrom } from '../http/locale';
import { statusForKind } from '../http/problem-details.filter';
import { LtiDeepLinkingFormDto, LtiLaunchFormDto, LtiLoginDto } from './dto/lti.dto';
import { LTI_FORM_ROUTE, registerLtiFormParser } from './lti-http';
import { sendAutoPostPage, sendErrorPage, sendLaunchPage, sendPickerPage } from './lti-pages';

const FORM = 'application/x-www-form-urlencoded';
type Params = Record<string, unknown>;

/** A person's browser (it asks for HTML) sees rejections as a page; platforms and tests get problem+json. */
const wantsHtml = (reply: FastifyReply) => /\btext\/html\b/.test(String(reply.request.headers.accept ?? ''));

/**
 * The LTI 1.3 tool endpoints a platform (and the browser inside it) calls: public keys, OIDC login
 * initiation, the launch (resource links and deep-linking requests) and the deep-linking answer.
 */
@ApiTags('lti')
@Controller('lti')
export class LtiToolController implements OnModuleInit {
  constructor(
    private readonly launches: LtiLaunchService,
    private readonly deepLinking: LtiDeepLinkingService,
    private readonly keys: LtiKeys,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Platforms post HTML forms here; Fastify parses none by default (only these routes accept them). */
  onModuleInit() {
    registerLtiFormParser(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }

  @Get('jwks')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary:
      "The tool's public keys (JWKS, RS256, by kid): platforms verify deep-linking responses and client assertions",
  })
  jwks() {
    return this.keys.jwks();
  }

  @Get('login')
  @Public()
  @ApiOperation({ summary: 'OIDC third-party-initiated login (query): redirects to the platform with state and nonce' })
  @ApiQuery({ name: 'iss', required: true })
  @ApiQuery({ name: 'login_hint', required: true })
  @ApiQuery({ name: 'target_link_uri', required: true })
  @ApiQuery({ name: 'lti_message_hint', required: false })
  @ApiQuery({ name: 'client_id', required: false })
  @ApiQuery({ name: 'lti_deployment_id', required: false })
  @ApiFoundResponse({ description: 'To the platform authorization endpoint (response_mode=form_post)' })
  loginGet(@Query() query: Params, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.login(query ?? {}, reply);
  }

  @Post('login')
  @Public()
  @RouteConfig(LTI_FORM_ROUTE)
  @ApiOperation({ summary: 'OIDC third-party-initiated login (form post): redirects to the platform' })
  @ApiConsumes(FORM)
  @ApiBody({ type: LtiLoginDto })
  @ApiFoundResponse({ description: 'To the platform authorization endpoint (response_mode=form_post)' })
  loginPost(@Body() body: Params, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.login(body ?? {}, reply);
  }

  @Post('launch')
  @Public()
  @HttpCode(200)
  @RouteConfig(LTI_FORM_ROUTE)
  @ApiOperation({
    summary:
      'Launch (redirect URI, form_post of id_token + state): opens the course or lesson, or the deep-linking picker',
    description:
      'Rejections are 4xx with a code (LTI_STATE_INVALID, LTI_NONCE_REPLAYED, LTI_AUDIENCE_MISMATCH, LTI_TOKEN_EXPIRED, ' +
      'LTI_KEY_UNKNOWN, LTI_SIGNATURE_INVALID, LTI_DEPLOYMENT_UNKNOWN, LTI_VERSION_UNSUPPORTED, …): problem+json, or an ' +
      'HTML page when the browser asks for HTML.',
  })
  @ApiConsumes(FORM)
  @ApiBody({ type: LtiLaunchFormDto })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'A page that stores the Hocso session (sessionStorage) and opens the embed page' })
  launch(@Body() body: Params, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.html(reply, async () => {
      const out = await this.launches.launch(body ?? {});
      if (out.kind === 'resource_link') {
        return sendLaunchPage(reply, {
          session: {
            accessToken: out.tokens.accessToken,
            refreshToken: out.tokens.refreshToken,
            expiresAt: Date.now() + out.tokens.expiresIn * 1000,
          },
          targetUrl: out.targetUrl,
          locale: out.locale,
        });
      }
      return sendPickerPage(reply, {
        action: `${this.config.http.publicUrl}/lti/deep-linking/response`,
        sessionToken: out.sessionToken,
        courses: out.courses,
        acceptMultiple: out.acceptMultiple,
        acceptLineItem: out.acceptLineItem,
        locale: out.locale,
      });
    });
  }

  @Post('deep-linking/response')
  @Public()
  @HttpCode(200)
  @RouteConfig(LTI_FORM_ROUTE)
  @ApiOperation({
    summary:
      'Deep Linking 2.0: the picker posts its choice; answers a page that auto-posts the signed JWT to the platform',
  })
  @ApiConsumes(FORM)
  @ApiBody({ type: LtiDeepLinkingFormDto })
  @ApiProduces('text/html')
  deepLinkingResponse(@Body() body: Params, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.html(reply, async () => {
      const form = body ?? {};
      const raw = form.item;
      const items = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
        (i): i is string => typeof i === 'string',
      );
      const out = await this.deepLinking.respond(form.token, items, { gradable: form.gradable === '1' });
      return sendAutoPostPage(reply, {
        returnUrl: out.returnUrl,
        jwt: out.jwt,
        locale: localeFrom(reply.request.headers['accept-language']),
      });
    });
  }

  private async login(params: Params, reply: FastifyReply) {
    return this.html(reply, async () => {
      const { redirectUrl } = await this.launches.login(params);
      reply.status(302).header('Location', redirectUrl).header('Cache-Control', 'no-store');
      return '';
    });
  }

  private async html<T>(reply: FastifyReply, run: () => Promise<T>): Promise<T | string> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof DomainException) || !wantsHtml(reply)) throw err;
      const locale = localeFrom(reply.request.headers['accept-language']);
      return sendErrorPage(reply, {
        status: statusForKind(err.kind),
        code: err.code,
        message: err.messageIn(locale),
        requestId: String(reply.request.id),
        locale,
      });
    }
  }
}
