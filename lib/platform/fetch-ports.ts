/**
 * The ports the WHATWG Fetch standard blocks ("bad port", §2.9 port blocking), which Node's `fetch` refuses to
 * connect to with a TypeError whatever is listening there. A process configured to reach one of them would fail
 * every call it makes, each as an unexplained internal error, so the configuration refuses them instead.
 */
export const FETCH_BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137,
  139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The port a URL reaches: its own, or its scheme's default (never a blocked one). */
function portOf(url: string): number | null {
  try {
    const u = new URL(url);
    return u.port ? Number(u.port) : null;
  } catch {
    return null;
  }
}

/** True when `fetch` would refuse this URL for its port. */
export const fetchRefusesUrl = (url: string): boolean => {
  const port = portOf(url);
  return port !== null && FETCH_BAD_PORTS.has(port);
};

export const fetchRefusesPort = (port: number): boolean => FETCH_BAD_PORTS.has(port);

export const BAD_PORT_MESSAGE = "is a port that fetch refuses to reach (the Fetch standard's bad ports); choose another";
