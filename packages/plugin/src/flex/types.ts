import type { ComponentType, ReactElement } from 'react';
// Type only: the one component Lifeline themes (Flex's withTheme is generic; narrowed here).
import type { RecoveryModalHostProps } from '../features/recovery-modal/RecoveryModalHost.tsx';

/**
 * The part of Flex UI 2.x that Lifeline touches, typed narrowly. `@twilio/flex-ui` types most
 * of it as `any`; LifelinePlugin passes the real objects in, which checks they fit, and the
 * tests pass the shared fake (test/fakes/flex-ui.ts).
 */
export type ActionListener = (payload: unknown, abortFunction: () => void) => unknown;

export interface FlexActions {
  addListener(event: string, listener: ActionListener): unknown;
  removeListener(event: string, listener: ActionListener): unknown;
  invokeAction(name: string, payload?: unknown): Promise<unknown>;
}

export interface FlexParticipant {
  participantType?: string;
  callSid?: string;
  workerSid?: string;
  status?: string;
}

export interface FlexConference {
  conferenceSid: string;
  liveParticipantCount: number;
  participants: FlexParticipant[];
}

/** The fields of Flex's ITask that Lifeline reads. */
export interface FlexTask {
  taskSid: string;
  /** The reservation SID: Flex's key for the task everywhere. */
  sid: string;
  status: string;
  taskChannelUniqueName?: string;
  workflowSid?: string;
  attributes?: unknown;
  conference?: FlexConference;
}

export interface FlexTaskHelper {
  /** Takes a RESERVATION SID (typings TaskHelper.d.ts). */
  getTaskByTaskSid(reservationSid: string): FlexTask | undefined | null;
  isCallTask(task: FlexTask): boolean;
}

export interface FlexContentStore {
  add(child: ReactElement, options?: unknown): void;
}

/** Flex's Notifications (typings flex-ui-core/src/NotificationManager.d.ts), narrowly. */
export interface FlexNotifications {
  // Wider than Flex's Notification (its `type` is an enum) so the real object fits.
  registerNotification(notification: {
    id: string;
    content?: unknown;
    type?: unknown;
    closeButton?: boolean;
    timeout?: number;
  }): void;
  showNotification(id: string, context?: Record<string, unknown>): unknown;
}

export interface FlexApi {
  Actions: FlexActions;
  Notifications: FlexNotifications;
  NotificationType: { information: unknown };
  TaskHelper: FlexTaskHelper;
  RootContainer: { Content: FlexContentStore };
  /**
   * @emotion/react's withTheme, which Flex re-exports (typings components/theme.d.ts): the
   * component gets Flex's current theme as `theme`. Provided at runtime, so it costs the
   * bundle nothing.
   */
  withTheme(
    component: ComponentType<RecoveryModalHostProps>,
  ): (props: Omit<RecoveryModalHostProps, 'theme'>) => ReactElement | null;
}

/** A TaskRouter SDK reservation as the workerClient hands it over. */
export interface FlexReservation {
  sid: string;
  status: string;
  task: {
    sid: string;
    attributes?: unknown;
    taskChannelUniqueName?: string;
    workflowSid?: string;
  };
}

export interface FlexWorkerClient {
  sid: string;
  name?: string;
  attributes?: unknown;
  reservations: Map<string, FlexReservation>;
  on(event: 'reservationCreated', listener: (reservation: FlexReservation) => void): unknown;
  off?(event: 'reservationCreated', listener: (reservation: FlexReservation) => void): unknown;
}

/** The Voice SDK Device (`@twilio/voice-sdk`), as `manager.voiceClient`. */
export interface FlexVoiceClient {
  /** 'registered', 'unregistered', 'registering' or 'destroyed'. */
  state: string;
  on(event: 'registered', listener: () => void): unknown;
  removeListener(event: 'registered', listener: () => void): unknown;
}

export interface FlexManager {
  workerClient?: FlexWorkerClient;
  voiceClient?: FlexVoiceClient;
  user?: { token?: string };
  store: { getState(): unknown; subscribe?(listener: () => void): () => void };
  serviceConfiguration?: { ui_attributes?: unknown };
  /** Flex's strings; assigning the whole object recompiles its templates. */
  strings?: object;
  configuration?: unknown;
}
