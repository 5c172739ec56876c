import { mount } from 'svelte';
import '@xyflow/svelte/dist/style.css';
import './app.css';
import App from './App.svelte';
import { createApi } from './lib/api';
import { Workspace } from './state/workspace.svelte';

const workspace = new Workspace(createApi());
mount(App, { target: document.getElementById('app')!, props: { workspace } });
