#!/usr/bin/env node
// Size of the code base, for the notes of clean-up work: files and lines per service and package
// (source apart from tests), and the largest functions. Usage: node tools/metricas/main.js [dir] [--top N]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const args = process.argv.slice(2);
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 10;
const raiz = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--top') ?? '.');
const grupos = ['services/aeroalpes', 'services/notificaciones', 'services/ui', 'packages/comun', 'packages/contratos', 'tools/platform', 'bench'];

function archivos(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return ['node_modules', 'dist'].includes(e.name) ? [] : archivos(p);
    return /\.(ts|js)$/.test(e.name) && !/\.d\.ts$/.test(e.name) ? [p] : [];
  });
}
const esPrueba = (f) => /\.test\.ts$|\/pruebas\/|servidor-pruebas|fixture/.test(f);
const lineas = (texto) => texto.split('\n').filter((l) => l.trim() !== '').length;

const funciones = [];
console.log('group                     files  lines   test files  test lines   (non-blank lines)');
for (const g of grupos) {
  const todos = archivos(path.join(raiz, g)).filter((f) => !f.includes('/public/') || f.endsWith('.js'));
  const fuente = todos.filter((f) => !esPrueba(f));
  const pruebas = todos.filter(esPrueba);
  const suma = (fs_) => fs_.reduce((s, f) => s + lineas(fs.readFileSync(f, 'utf8')), 0);
  console.log(`${g.padEnd(26)}${String(fuente.length).padStart(5)}${String(suma(fuente)).padStart(7)}${String(pruebas.length).padStart(13)}${String(suma(pruebas)).padStart(12)}`);
  for (const f of fuente) {
    const sf = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visitar = (n) => {
      if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isConstructorDeclaration(n)) {
        const ini = sf.getLineAndCharacterOfPosition(n.getStart()).line;
        const fin = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
        let nombre = n.name?.getText?.() ?? '';
        if (!nombre && n.parent && (ts.isVariableDeclaration(n.parent) || ts.isPropertyAssignment(n.parent))) nombre = n.parent.name.getText();
        funciones.push({ lugar: `${path.relative(raiz, f)}:${ini + 1}`, nombre: nombre || '(anonymous)', lineas: fin - ini + 1 });
      }
      ts.forEachChild(n, visitar);
    };
    visitar(sf);
  }
}
console.log(`\nlargest functions (lines, source only):`);
for (const f of funciones.sort((a, b) => b.lineas - a.lineas).slice(0, top)) console.log(`${String(f.lineas).padStart(5)}  ${f.nombre}  ${f.lugar}`);
