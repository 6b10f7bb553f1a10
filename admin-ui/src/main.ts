import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { applyTheme, storedTheme } from './lib/theme';

applyTheme(storedTheme(), false);

const target = document.getElementById('app')!;
target.textContent = '';
mount(App, { target });
