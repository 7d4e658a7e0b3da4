import { loadPlugin } from '@twilio/flex-plugin';
import { LifelinePlugin } from './LifelinePlugin.ts';

loadPlugin(LifelinePlugin);
