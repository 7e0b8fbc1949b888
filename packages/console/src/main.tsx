import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { parseConfig, type ConsoleConfig } from './lib/config';
import './styles.css';

async function loadConfig(): Promise<ConsoleConfig> {
  // Beside the page, so that the same build serves under /console/ locally and at a site's root in AWS.
  const response = await fetch('./config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered HTTP ${response.status}`);
  return parseConfig(await response.json());
}

const root = createRoot(document.getElementById('root') as HTMLElement);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (error: unknown) =>
    root.render(
      <main className="sign-in">
        <h1>mxflow console</h1>
        <p role="alert" className="error">
          The console cannot start: {error instanceof Error ? error.message : String(error)}
        </p>
      </main>,
    ),
);
