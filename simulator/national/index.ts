/** The national simulator: ≥1,000 generated portals of real governments on 127.0.0.1, with the manifest of their planted 年报 columns. */
export { startNationalSimulator, type NationalSimulator, type NationalSimulatorOptions } from './start-national-simulator.ts';
export type { PortalManifest } from './build-portal.ts';
export {
  planNationalPortals,
  type PortalPlan,
  type BodyPlan,
  type Navigation,
  type ManifestStatus,
  type SimulatedPlatform,
} from './plan-portals.ts';
export {
  scoreDiscoveries,
  foundRatio,
  describeScore,
  normalizeColumnUrl,
  type DiscoveryScore,
  type ShapeScore,
} from './score-discovery.ts';
export { CHALLENGE_COOKIES } from './render-pages.ts';
