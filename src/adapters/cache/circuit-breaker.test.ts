import { describe, expect, it } from "vitest";
import { CircuitBreaker, type CircuitState } from "./circuit-breaker.js";

function breaker() {
  let now = 0;
  const changes: CircuitState[] = [];
  const circuit = new CircuitBreaker({
    failureThreshold: 3,
    cooldownMs: 1000,
    now: () => now,
    onChange: (state) => changes.push(state),
  });
  return { circuit, changes, advance: (ms: number) => (now += ms) };
}

describe("circuit breaker", () => {
  it("opens after the threshold of failures in a row, and a success in between resets the count", () => {
    const { circuit, changes } = breaker();
    circuit.failed();
    circuit.failed();
    circuit.succeeded();
    circuit.failed();
    circuit.failed();
    expect(circuit.state).toBe("closed");
    expect(circuit.allow()).toBe(true);
    circuit.failed();
    expect(circuit.state).toBe("open");
    expect(circuit.allow()).toBe(false);
    expect(changes).toEqual(["open"]);
  });

  it("lets one probe through after the cooldown, and closes when it succeeds", () => {
    const { circuit, changes, advance } = breaker();
    for (let i = 0; i < 3; i++) circuit.failed();
    advance(999);
    expect(circuit.allow()).toBe(false);
    advance(1);
    expect(circuit.allow()).toBe(true);
    expect(circuit.state).toBe("half-open");
    expect(circuit.allow()).toBe(false); // one probe at a time
    circuit.succeeded();
    expect(circuit.state).toBe("closed");
    expect(circuit.allow()).toBe(true);
    expect(circuit.allow()).toBe(true);
    expect(changes).toEqual(["open", "half-open", "closed"]);
  });

  it("opens again for a whole cooldown when the probe fails", () => {
    const { circuit, advance } = breaker();
    for (let i = 0; i < 3; i++) circuit.failed();
    advance(1000);
    expect(circuit.allow()).toBe(true);
    circuit.failed();
    expect(circuit.state).toBe("open");
    advance(999);
    expect(circuit.allow()).toBe(false);
    advance(1);
    expect(circuit.allow()).toBe(true);
  });
});
