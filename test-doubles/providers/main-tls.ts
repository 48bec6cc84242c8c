#!/usr/bin/env node
/** Executable entry of the stand-in hashicorp/tls provider (a TEST DOUBLE; see README.md). */
import { serve } from './server';
import { tlsProvider } from './tls/provider';

serve(tlsProvider);
