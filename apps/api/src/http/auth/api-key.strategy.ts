import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { ApiKeyActor } from '@hocso/common';
import { ApiKeysService } from '@hocso/identity';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, 'api-key') {
  constructor(private readonly apiKeys: ApiKeysService) {
    super({ header: 'X-Api-Key', prefix: '' }, false);
  }

  validate(apiKey: string): Promise<ApiKeyActor> {
    return this.apiKeys.authenticate(apiKey);
  }
}
