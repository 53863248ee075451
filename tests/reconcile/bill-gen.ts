/** The bill writers live with the sandbox, which serves bills made by them; the tests write theirs with the same code. */
export * from '../../tools/bills/writer';
