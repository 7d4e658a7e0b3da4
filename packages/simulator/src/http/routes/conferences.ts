import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.ts';
import { page2010 } from '../page.ts';
import { str } from '../params.ts';
import { conferenceJson } from '../representations/voice.ts';
import type { Deps } from '../serve.ts';
import { serve } from '../serve.ts';
import { conferenceOr404 } from './lookups.ts';

export function conferenceRoutes(app: FastifyInstance, deps: Deps): void {
  const { world, options } = deps;

  serve(app, deps, 'ListConference', ({ query, urlPath }) => {
    const name = str(query, 'FriendlyName');
    const status = str(query, 'Status');
    const conferences = world.conferences
      .all()
      .filter((c) => name === undefined || c.friendlyName === name)
      .filter((c) => status === undefined || c.status === status)
      .sort((a, b) => b.dateCreated - a.dateCreated)
      .map((c) => conferenceJson(options.accountSid, c));
    return { body: page2010('conferences', conferences, urlPath, query) };
  });

  serve(app, deps, 'FetchConference', ({ path, urlPath }) => ({
    body: conferenceJson(options.accountSid, conferenceOr404(world, path['Sid'], urlPath)),
  }));

  serve(app, deps, 'UpdateConference', ({ path, fields, urlPath }) => {
    const conference = conferenceOr404(world, path['Sid'], urlPath);
    const status = str(fields, 'Status');
    const announceUrl = str(fields, 'AnnounceUrl');
    if (status !== undefined && status !== 'completed')
      throw apiErrors.invalid(`Status ${status} is not valid`);
    if (announceUrl !== undefined) {
      if (conference.status === 'completed')
        throw apiErrors.invalid('Conference is not in progress');
      world.conferences.announce(conference, announceUrl);
    }
    if (status === 'completed') world.conferences.endViaApi(conference);
    return { body: conferenceJson(options.accountSid, conference) };
  });
}
