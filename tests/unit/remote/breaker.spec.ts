import { test, expect } from '@playwright/test';
import { CircuitBreaker } from '../../../src/remote/circuitBreaker.js';

function breaker() {
  let now = 0;
  const circuit = new CircuitBreaker({ failures: 3, cooldownMs: 1000 }, () => now);
  return { circuit, advance: (ms: number) => (now += ms) };
}

test('should open after the configured consecutive failures, and not before', () => {
  const { circuit } = breaker();
  expect(circuit.failure()).toBe(false);
  circuit.success();
  expect(circuit.failure()).toBe(false);
  expect(circuit.failure()).toBe(false);
  expect(circuit.allow()).toBe(true);
  expect(circuit.failure()).toBe(true);
  expect(circuit.state).toBe('open');
  expect(circuit.allow()).toBe(false);
  expect(circuit.opened).toBe(1);
});

test('should let one probe through after the cooldown, closing on success and reopening on failure', () => {
  const { circuit, advance } = breaker();
  for (let i = 0; i < 3; i++)
    circuit.failure();
  advance(999);
  expect(circuit.allow()).toBe(false);
  advance(1);
  expect(circuit.allow()).toBe(true);
  expect(circuit.state).toBe('half-open');
  expect(circuit.allow()).toBe(false);
  expect(circuit.failure()).toBe(true);
  expect(circuit.state).toBe('open');
  expect(circuit.opened).toBe(2);
  advance(1000);
  expect(circuit.allow()).toBe(true);
  circuit.success();
  expect(circuit.state).toBe('closed');
  expect(circuit.allow()).toBe(true);
  expect(circuit.failure()).toBe(false);
});

test('should let another probe through when the last one never reported back', () => {
  const { circuit, advance } = breaker();
  for (let i = 0; i < 3; i++)
    circuit.failure();
  advance(1000);
  expect(circuit.allow()).toBe(true);
  advance(999);
  expect(circuit.allow()).toBe(false);
  advance(1);
  expect(circuit.allow()).toBe(true);
});
