import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as common from '../../shared/api/common';
import * as identity from '../../shared/api/identity';
import { shopRouteSpecs } from '../../shared/api/shop-route-specs';
import { shopRoutes } from '../../shared/api/shop-routes';
import * as light from '../../src/services/shop-schemas';

// The main package parses with zod/mini copies of the API's schemas, so that
// it does not carry zod's classic interface. Equal JSON Schemas (both ways:
// what each accepts and what each outputs) mean the copies check the same.
const same = (copy: z.core.$ZodType, original: z.core.$ZodType) => {
  for (const io of ['input', 'output'] as const) expect(z.toJSONSchema(copy, { io })).toEqual(z.toJSONSchema(original, { io }));
};

describe('the main package’s schemas', () => {
  it.each(Object.keys(shopRoutes) as (keyof typeof shopRoutes)[])('%s answers as the API’s schema says', (name) => {
    same(light.shopResponses[name], shopRoutes[name].response);
  });

  it('covers exactly the shop’s routes, with their method, path and auth', () => {
    expect(Object.keys(light.shopResponses).sort()).toEqual(Object.keys(shopRoutes).sort());
    for (const [name, route] of Object.entries(shopRoutes)) {
      expect(shopRouteSpecs[name as keyof typeof shopRouteSpecs]).toEqual({ method: route.method, path: route.path, auth: route.auth });
    }
  });

  it.each([
    ['errorBody', light.errorBody, common.errorBody],
    ['storeCode', light.storeCode, common.storeCode],
    ['fen', light.fen, common.fen],
    ['staffSession', light.staffSession, identity.staffSession],
    ['shopperSession', light.shopperSession, identity.shopperSession],
  ])('%s is the API’s', (_name, copy, original) => {
    same(copy, original);
  });

  it('reject what the API’s reject', () => {
    expect(light.fen.safeParse(1.5).success).toBe(false);
    expect(light.fen.safeParse(Number.MAX_SAFE_INTEGER + 2).success).toBe(common.fen.safeParse(Number.MAX_SAFE_INTEGER + 2).success);
    expect(light.storeCode.safeParse('demo01').success).toBe(false);
    expect(light.shopResponses.publicStore.safeParse({ id: 'sto_x', code: 'DEMO01', name: 'a', address: 'b', merchantName: 'c' }).success).toBe(false);
  });
});
