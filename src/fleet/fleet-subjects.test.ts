import { describe, expect, it } from 'vitest';
import { isMeridianError } from '../core/index.js';
import { defaultFleetName, fleetSubjects } from './fleet-subjects.js';

describe('fleetSubjects', () => {
  it('names one stream per fleet and one subject per vantage and region', () => {
    const s = fleetSubjects('example-test');
    expect(s.stream).toBe('meridian-example-test-health');
    expect(s.all).toBe('meridian.example-test.health.>');
    expect(s.subjectOf('oregon', 'eu-west-2')).toBe('meridian.example-test.health.oregon.eu-west-2');
    expect(s.parse('meridian.example-test.health.oregon.eu-west-2')).toEqual({
      vantage: 'oregon',
      region: 'eu-west-2',
    });
    expect(s.parse('meridian.other.health.oregon.eu-west-2')).toBeNull();
    expect(s.parse('meridian.example-test.health.oregon')).toBeNull();
  });

  it('refuses a fleet name that is not a subject token', () => {
    for (const bad of ['', 'a.b', 'a*', 'A', '-a', 'a b']) {
      let err: unknown;
      try {
        fleetSubjects(bad);
      } catch (e) {
        err = e;
      }
      expect(isMeridianError(err, 'MERIDIAN_FLEET_BAD_NAME'), bad).toBe(true);
    }
  });

  it("defaults a world's fleet to its zone", () => {
    expect(defaultFleetName({ zone: 'example.test' })).toBe('example-test');
    expect(() => fleetSubjects(defaultFleetName({ zone: 'a.b.c' }))).not.toThrow();
  });
});
