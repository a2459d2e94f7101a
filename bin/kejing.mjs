#!/usr/bin/env node
// `npx kejing` works right after `npm ci`: the TypeScript CLI runs through tsx's loader,
// with no build step.
import { register } from 'tsx/esm/api';

register();
process.env.KEJING_CLI = '1';
await import('../server/cli.ts');
