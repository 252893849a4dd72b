/** Types of dashboards.mjs, for the tests that render the dashboards again. */
export declare const dashboardsFolder: string;
export declare function renderDashboards(): Promise<{ file: string; text: string }[]>;
