#!/usr/bin/env node
import { runProcess } from '../dist/cli/process.js';

process.exitCode = await runProcess(process.argv.slice(2));
