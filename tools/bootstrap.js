#!/usr/bin/env node
// Makes a fresh clone runnable: installs the npm packages (npm ci) when node_modules is missing or
// older than package-lock.json, then compiles the TypeScript (tsc -b is incremental, so a warm run
// costs about a second). Plain JavaScript on purpose: it runs before anything is installed.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function run(step, args) {
  console.log(`[bootstrap] ${step}: ${npm} ${args.join(' ')}`);
  try {
    execFileSync(npm, args, { cwd: root, stdio: 'inherit' });
  } catch (err) {
    console.error(`[bootstrap] ${step} failed (exit ${err.status}); retry with: ${npm} ${args.join(' ')}`);
    process.exit(1);
  }
}

const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');
if (mtime(installed) < mtime(lock)) {
  run('install npm packages', ['ci', '--no-audit', '--no-fund']);
}
run('compile TypeScript', ['exec', '--', 'tsc', '-b']);
