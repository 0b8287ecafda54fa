/** Local demo portals (TRS and Hanweb styles) with planted annual reports, for the demo and the tests. */
export { startDemoPortals, type DemoPortal, type DemoPortals, type PlantedReport } from './start-demo-portals.ts';
export { renderReportBody, renderStandaloneReport } from './report-html.ts';
export {
  loadPlantedData,
  type ColumnEdit,
  type ColumnItem,
  type PlantedReportData,
  type PlantedAnomaly,
  type DecoyData,
} from './planted-data.ts';
export { startSimulator, SITE_BUILDERS, type SimulatedSite, type Simulator } from './start-simulator.ts';
export type { RequestObserver, ServedRequest } from './http-util.ts';
