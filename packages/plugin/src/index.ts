import * as FlexPlugin from '@twilio/flex-plugin';
import { LifelinePlugin } from './LifelinePlugin.ts';

FlexPlugin.loadPlugin(LifelinePlugin);
