import { observability, tracingEnabled } from '../src';

describe('tracingEnabled', () => {
  it('traces in Lambda unless POWERTOOLS_TRACE_ENABLED is false', () => {
    expect(tracingEnabled({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(true);
    expect(tracingEnabled({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'true' })).toBe(true);
    expect(tracingEnabled({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' })).toBe(false);
  });

  it('does not trace outside Lambda, in SAM or in Amplify mock', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_SAM_LOCAL: 'true' })).toBe(false);
    expect(tracingEnabled({ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' })).toBe(false);
  });
});

describe('observability', () => {
  it('gives an idle tracer where nothing is traced: clients pass through untouched', async () => {
    const { tracer } = await observability('unit', { POWERTOOLS_TRACE_ENABLED: 'false' });
    const client = { send: () => 'sent' };
    expect(tracer.isTracingEnabled()).toBe(false);
    expect(tracer.captureAWSv3Client(client)).toBe(client);
  });

  it("loads Powertools' Tracer in Lambda", async () => {
    const { tracer } = await observability('unit', { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'true' });
    expect(tracer.constructor.name).toBe('Tracer');
  });
});
