// Built-in coordinates of cloud regions (the metro each region is in), so a world file can say
// `af-south-1` instead of a latitude and longitude.
import type { Coordinates } from './coordinates.js';

/** A named cloud region and where it is. */
export interface CloudRegion {
  readonly provider: 'aws';
  readonly name: string;
  readonly city: string;
  readonly location: Coordinates;
}

// Every AWS commercial, GovCloud and China region as of 2026, located at its metro area.
const AWS: ReadonlyArray<readonly [string, string, number, number]> = [
  ['us-east-1', 'Ashburn, Virginia', 39.04, -77.49],
  ['us-east-2', 'Columbus, Ohio', 39.96, -83.0],
  ['us-west-1', 'San Jose, California', 37.34, -121.89],
  ['us-west-2', 'Boardman, Oregon', 45.84, -119.7],
  ['af-south-1', 'Cape Town', -33.92, 18.42],
  ['ap-east-1', 'Hong Kong', 22.32, 114.17],
  ['ap-east-2', 'Taipei', 25.03, 121.57],
  ['ap-south-1', 'Mumbai', 19.08, 72.88],
  ['ap-south-2', 'Hyderabad', 17.39, 78.49],
  ['ap-southeast-1', 'Singapore', 1.35, 103.82],
  ['ap-southeast-2', 'Sydney', -33.87, 151.21],
  ['ap-southeast-3', 'Jakarta', -6.21, 106.85],
  ['ap-southeast-4', 'Melbourne', -37.81, 144.96],
  ['ap-southeast-5', 'Kuala Lumpur', 3.14, 101.69],
  ['ap-southeast-6', 'Auckland', -36.85, 174.76],
  ['ap-southeast-7', 'Bangkok', 13.76, 100.5],
  ['ap-northeast-1', 'Tokyo', 35.68, 139.69],
  ['ap-northeast-2', 'Seoul', 37.57, 126.98],
  ['ap-northeast-3', 'Osaka', 34.69, 135.5],
  ['ca-central-1', 'Montreal', 45.5, -73.57],
  ['ca-west-1', 'Calgary', 51.05, -114.07],
  ['eu-central-1', 'Frankfurt', 50.11, 8.68],
  ['eu-central-2', 'Zurich', 47.37, 8.54],
  ['eu-west-1', 'Dublin', 53.35, -6.26],
  ['eu-west-2', 'London', 51.51, -0.13],
  ['eu-west-3', 'Paris', 48.86, 2.35],
  ['eu-south-1', 'Milan', 45.46, 9.19],
  ['eu-south-2', 'Zaragoza, Aragon', 41.65, -0.88],
  ['eu-north-1', 'Stockholm', 59.33, 18.07],
  ['il-central-1', 'Tel Aviv', 32.09, 34.78],
  ['me-south-1', 'Manama, Bahrain', 26.23, 50.59],
  ['me-central-1', 'Dubai', 25.2, 55.27],
  ['mx-central-1', 'Queretaro', 20.59, -100.39],
  ['sa-east-1', 'Sao Paulo', -23.55, -46.63],
  ['us-gov-east-1', 'Columbus, Ohio (GovCloud)', 39.96, -83.0],
  ['us-gov-west-1', 'The Dalles, Oregon (GovCloud)', 45.6, -121.18],
  ['cn-north-1', 'Beijing', 39.9, 116.4],
  ['cn-northwest-1', 'Zhongwei, Ningxia', 37.51, 105.19],
];

const BY_NAME: ReadonlyMap<string, CloudRegion> = new Map(
  AWS.map(([name, city, lat, lon]) => [
    name,
    Object.freeze({ provider: 'aws', name, city, location: { lat, lon } }),
  ]),
);

/** The built-in cloud region with this name, if any. */
export function findCloudRegion(name: string): CloudRegion | undefined {
  return BY_NAME.get(name);
}

/** Every built-in cloud region, in a stable order. */
export function listCloudRegions(): readonly CloudRegion[] {
  return [...BY_NAME.values()];
}
