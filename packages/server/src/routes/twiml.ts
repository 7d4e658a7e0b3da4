import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { announcementTwiml, holdTwiml } from '../effects/twiml.ts';

/** The hold announcement the customer hears while the agent is away. */
export const twimlRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    method: ['GET', 'POST'],
    url: '/twiml/announcement',
    schema: {
      summary: 'TwiML for the hold announcement (Say and/or Play)',
      tags: ['twiml'],
      response: { 200: Type.String() },
    },
    handler: async (_request, reply) => {
      const { say, playUrl } = app.lifeline.config.announcement;
      return reply.type('text/xml').send(announcementTwiml(say, playUrl));
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/twiml/hold',
    schema: {
      summary: 'TwiML a customer left alone hears on hold: the announcement, then looped audio',
      tags: ['twiml'],
      response: { 200: Type.String() },
    },
    handler: async (_request, reply) => {
      const { announcement, holdMusicUrl } = app.lifeline.config;
      return reply
        .type('text/xml')
        .send(holdTwiml(announcement.say, announcement.playUrl, holdMusicUrl));
    },
  });
};
