/** uPlot's stylesheet, bundled as text (esbuild: `with { type: 'text' }`) into the chart's shadow root. */
declare module 'uplot/dist/uPlot.min.css' {
  const css: string;
  export default css;
}
