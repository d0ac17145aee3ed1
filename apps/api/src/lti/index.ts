import { LtiPlatformsController } from './lti-platforms.controller';
import { LtiToolController } from './lti-tool.controller';

/** The LTI 1.3 tool's controllers (registered in ApiModule). */
export const LTI_CONTROLLERS = [LtiPlatformsController, LtiToolController];
