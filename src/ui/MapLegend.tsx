/** What the colours on the map mean. */
export function MapLegend() {
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <i className="legend__swatch legend__swatch--control-plane" aria-hidden="true" />
        control plane
      </li>
      <li>
        <i className="legend__swatch legend__swatch--worker" aria-hidden="true" />
        worker
      </li>
      <li>
        <i className="legend__dot legend__dot--ready" aria-hidden="true" />
        Ready
      </li>
      <li>
        <i className="legend__dot legend__dot--down" aria-hidden="true" />
        NotReady (host down)
      </li>
    </ul>
  );
}
